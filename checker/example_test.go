package checker_test

import (
	"fmt"

	"electcheck/checker"
	"electcheck/model"
)

// Check the recommended setup with acks=1 instead of acks=all: the
// shortest way to lose an acknowledged record.
func Example() {
	req := checker.NewRequest()
	req.Kafka.Acks = model.AcksLeader
	req.Kafka.Bounds.Records, req.Kafka.Bounds.Crashes = 1, 1
	req.Properties = []string{"acked-records-durable"}
	out, err := checker.Check(req, checker.Search{})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := out.Violated("acked-records-durable")
	fmt.Printf("%s in %d states: %s\n", out.Verdict, v.Length, v.Message)
	fmt.Println(v.Actions)
	// Output:
	// violation in 4 states: record a, acknowledged by broker 1 at offset 0, is missing: the log ends at LEO 0 on broker 2, leader in epoch 1
	// produce 1
	// crash 1
	// detect 1 elect 2
}

// Settings name a configuration the way a properties file does.
func ExampleKafkaRequest() {
	req, err := checker.KafkaRequest(checker.Settings{"unclean.leader.election.enable=true", "electcheck.records=1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	req.Properties = []string{"committed-offsets-preserved"}
	out, _ := checker.Check(req, checker.Search{})
	fmt.Println(out.Verdict, out.Command)
	// Output: violation electcheck check --unclean-leader-election=true --records 1
}
