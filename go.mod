module electcheck

go 1.26

require (
	github.com/cockroachdb/datadriven v1.0.3
	github.com/spf13/pflag v1.0.10
	gonum.org/v1/gonum v0.17.0
)

require github.com/pmezard/go-difflib v1.0.0 // indirect
