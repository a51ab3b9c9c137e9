// Command steerbot is a Telegram bot that a steering committee uses to
// follow up the tasks it assigns.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "steerbot: under construction")
	os.Exit(2)
}
