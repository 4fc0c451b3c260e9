// Plays the common Go client: net/http, json.Unmarshal of the body before the status check,
// and the Kotlin-style rule that any X-Ca-Error-Code means a gateway error.
// Usage: market_client < cases: a call per line, <base-url> TAB <appcode|-> TAB <path?query>
// [TAB "Name: value" ...]; one BRANCH line per call.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

func branch(args []string) string {
	req, err := http.NewRequest("GET", args[0]+args[2], nil)
	if err != nil {
		return "transport_error " + err.Error()
	}
	if args[1] != "-" {
		req.Header.Set("Authorization", "APPCODE "+args[1])
	}
	for _, line := range args[3:] {
		name, value, _ := strings.Cut(line, ":")
		req.Header.Set(name, strings.TrimSpace(value))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "transport_error " + err.Error()
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "transport_error " + err.Error()
	}
	var answer struct {
		Ok  int    `json:"ok"`
		Msg string `json:"msg"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return "crash_json"
	}
	if resp.Header.Get("X-Ca-Error-Code") != "" {
		return "gateway_error"
	}
	if resp.StatusCode == 200 && answer.Ok == 1 {
		return "ok"
	}
	if resp.StatusCode == 666 && answer.Ok == 0 {
		return "vendor_refused"
	}
	return "other_error"
}

func main() {
	cases := bufio.NewScanner(os.Stdin)
	cases.Buffer(make([]byte, 64*1024), 1024*1024)
	for cases.Scan() {
		fmt.Println("BRANCH " + branch(strings.Split(cases.Text(), "\t")))
	}
}
