package model

import (
	"strings"
	"testing"
)

func TestParseProperties(t *testing.T) {
	cases := []struct {
		in   string
		want []Property
	}{
		{"", nil},
		{"# only a comment\n   ! another\n\n", nil},
		{"acks=1", []Property{{"acks", "1", 1}}},
		{"acks = all\r\nmin.insync.replicas: 2\n", []Property{{"acks", "all", 1}, {"min.insync.replicas", "2", 2}}},
		{"  replication.factor 3  ", []Property{{"replication.factor", "3  ", 1}}},
		{"a=b=c", []Property{{"a", "b=c", 1}}},
		{"key\\ with\\ spaces=v", []Property{{"key with spaces", "v", 1}}},
		{"k=line\\\n    continued\nnext=1", []Property{{"k", "linecontinued", 1}, {"next", "1", 3}}},
		{"k=ends with two backslashes\\\\\nnext=1", []Property{{"k", "ends with two backslashes\\", 1}, {"next", "1", 2}}},
		{"k=\\u0041\\t\\x", []Property{{"k", "A\tx", 1}}},
		{"k=", []Property{{"k", "", 1}}},
		{"k:", []Property{{"k", "", 1}}},
		{"k=trailing\\", []Property{{"k", "trailing", 1}}},
	}
	for _, c := range cases {
		got, err := ParseProperties(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: got %v, want %v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: got %+v, want %+v", c.in, got[i], c.want[i])
			}
		}
	}
	for _, bad := range []string{"lonely", "k=1\nk=2", "=value", "k=\\u00", "k=\\uZZZZ", "\xff=1"} {
		if _, err := ParseProperties(bad); err == nil {
			t.Errorf("%q: parsed without error", bad)
		}
	}
}

// formatProperties writes properties so that ParseProperties reads them
// back unchanged.
func formatProperties(ps []Property) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString(escapeProperty(p.Key, true))
		sb.WriteByte('=')
		sb.WriteString(escapeProperty(p.Value, false))
		sb.WriteByte('\n')
	}
	return sb.String()
}

func escapeProperty(s string, key bool) string {
	var sb strings.Builder
	for i, r := range s {
		switch {
		case r == '\\':
			sb.WriteString(`\\`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r == '\f':
			sb.WriteString(`\f`)
		case r == '\uFEFF':
			sb.WriteString(`\uFEFF`)
		case r == ' ' && (key || i == 0):
			sb.WriteString(`\ `)
		case key && (r == '=' || r == ':' || (i == 0 && (r == '#' || r == '!'))):
			sb.WriteByte('\\')
			sb.WriteRune(r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func FuzzParseProperties(f *testing.F) {
	for _, s := range []string{
		"acks=1\nmin.insync.replicas: 2\n",
		"# c\n! c\nk v\\\n  w\n",
		"k=\\u0041\\t\\\\",
		"replication.factor=3\nelectcheck.records=2\nelectcheck.kafka.version=0.10\n",
		"a\\=b=c\\:d",
		"process.roles=broker\nlisteners=PLAINTEXT://:9092\nmin.insync.replica=2\n",
		"default.replication.factor=3\nreplication.factor=3\n",
		"electcheck.feature.kip-320=off\nzookeeper.connect=x\nelectcheck.kafka.version=2.0\n",
		"\uFEFFunclean.leader.election.enable=true\n",
		"k=\\uFEFF\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ParseProperties(in)
		if err != nil {
			return
		}
		again, err := ParseProperties(formatProperties(ps))
		if err != nil {
			t.Fatalf("re-reading %q: %v", formatProperties(ps), err)
		}
		if len(again) != len(ps) {
			t.Fatalf("%d properties read back as %d", len(ps), len(again))
		}
		for i := range ps {
			if again[i].Key != ps[i].Key || again[i].Value != ps[i].Value {
				t.Fatalf("%+v read back as %+v", ps[i], again[i])
			}
		}
		// Applying them to a configuration never panics either; every key
		// is applied, ignored or refused; and a configuration that
		// validates builds a model.
		cfg := NewConfig(KafkaDefaults)
		loaded, err := cfg.ApplyProperties(ps)
		if err != nil {
			return
		}
		for _, k := range append(loaded.Ignored, loaded.Unknown...) {
			if _, known := LookupSetting(k); known {
				t.Fatalf("%s, an electcheck setting, was ignored", k)
			}
		}
		if cfg.Validate() == nil {
			if _, err := New(cfg); err != nil {
				t.Fatalf("a valid configuration did not build: %v", err)
			}
		}
	})
}

// A byte-order mark is refused, wherever it is, with the key Kafka would
// misread; an escaped \uFEFF is an ordinary character.
func TestPropertiesByteOrderMark(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\uFEFFunclean.leader.election.enable=true\nacks=all\n", "starts with a UTF-8 byte-order mark (bytes EF BB BF): Kafka reads properties as ISO-8859-1, so it would take the mark as part of the next key (unclean.leader.election.enable)"},
		{"\uFEFF# comment\n\nacks=all\n", "starts with a UTF-8 byte-order mark (bytes EF BB BF): Kafka reads properties as ISO-8859-1, so it would take the mark as part of the next key (acks)"},
		{"acks=all\n\uFEFFmin.insync.replicas=2\n", "has on line 2 a UTF-8 byte-order mark"},
		{"\uFEFF", "starts with a UTF-8 byte-order mark (bytes EF BB BF): Kafka reads properties as ISO-8859-1, so it would take the mark as part of the next key, not know"},
	} {
		_, err := ParseProperties(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseProperties(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), "save the file as UTF-8 without a BOM") {
			t.Errorf("ParseProperties(%q): %v does not say how to fix it", tc.in, err)
		}
	}
	ps, err := ParseProperties(`k=\uFEFFv`)
	if err != nil || len(ps) != 1 || ps[0].Value != "\uFEFFv" {
		t.Errorf("an escaped byte-order mark: got %+v, %v", ps, err)
	}
}
