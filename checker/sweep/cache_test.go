package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"electcheck/checker"
)

// Groups run side by side share the cache: puts and gets at once, of
// different keys and of one, each read whole, and no temporary file left.
func TestCacheConcurrentPutGet(t *testing.T) {
	cache, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	entry := func(i int) *cachedCell {
		return &cachedCell{Report: checker.JSONReport{Result: "ok", StopReason: fmt.Sprint(i), Warnings: []string{strings.Repeat("x", 1<<16)}}}
	}
	key := func(i int) string { return fmt.Sprintf("%02x%062d", i%4, i) }
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				n := g*20 + i
				for _, k := range []int{n, 1000} { // its own key, and one all share
					if err := cache.put(key(k), entry(k)); err != nil {
						t.Error(err)
					}
					if cc, ok := cache.get(key(k)); !ok || cc.Report.StopReason != fmt.Sprint(k) {
						t.Errorf("key %d: %v, %t", k, cc, ok)
					}
				}
			}
		}()
	}
	wg.Wait()
	files := 0
	err = filepath.Walk(cache.dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files++
			if strings.HasPrefix(info.Name(), ".tmp-") {
				t.Errorf("left behind: %s", path)
			}
		}
		return err
	})
	if err != nil || files != 161 {
		t.Errorf("%d files (%v), want 161", files, err)
	}
}
