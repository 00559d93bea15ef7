#!/usr/bin/env python3
"""eval_serve.py: the dev evaluation (shared/eval/run_eval.py) asked of one
`finq serve` instead of one `finq ask --json` process per turn.

  eval_serve.py RUN_EVAL CASES --finq PATH --db PATH [--rows-out FILE] [--log FILE]

run_eval.py's own code reads the cases, compares the tables and prints its
lines ("PASS id", "FAIL id: why", the accuracy, "N passed, N failed"); only
its transport, run_eval.ask, is replaced by a POST /api/v1/chat carrying
the case's "today" and conversation, which returns the same object as
`finq ask --json` (README.md, "The server"). Why: a finq process costs
0.12 s before any work (0.35 s under ASan) and the evaluation asks 70 to
80 questions; one server answers them all. The server gets the engine of
the environment (FINQ_ENGINE), like the processes did.

--rows-out FILE writes {case id: the last turn's rows} as JSON, for a
caller that compares two engines. Closes with a line "server: exit N,
sanitizer report: yes|no" (its stderr is --log FILE, default beside the
database), so a crash, leak or sanitizer report in the server is a
failure the caller can see. Exit status: run_eval's (0 when every case
passed), or 3 when the server never answered.
"""
import argparse, http.client, importlib.util, json, os, re, signal, socket, subprocess, sys, time

SAN = re.compile(r"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def post(port, path, body):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        con.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        r = con.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        con.close()


def healthy(port):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        con.request("GET", "/health")
        return con.getresponse().status == 200
    except OSError:
        return False
    finally:
        con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run_eval")
    ap.add_argument("cases")
    ap.add_argument("--finq", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--rows-out")
    ap.add_argument("--log")
    args = ap.parse_args()

    spec = importlib.util.spec_from_file_location("run_eval", args.run_eval)
    run_eval = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_eval)

    port = free_port()
    log_path = args.log or args.db + ".serve.log"
    log = open(log_path, "wb")
    # no rate limit: the evaluation is one client asking as fast as it can
    srv = subprocess.Popen([args.finq, "--db", args.db, "serve", "--port", str(port), "--rate-limit", "0"],
                           stdout=log, stderr=log)
    for _ in range(600):
        if srv.poll() is not None or healthy(port):
            break
        time.sleep(0.1)
    if srv.poll() is not None or not healthy(port):
        srv.kill()
        srv.wait()
        log.close()
        print("the server did not start: " + open(log_path, errors="replace").read()[-300:].replace("\n", " | "))
        print("server: exit %d, sanitizer report: unknown" % srv.returncode)
        sys.exit(3)

    def ask(finq, db, today, text, conv):
        """run_eval.ask over HTTP: (answer, ms, error) as the original returns."""
        body = {"message": text, "today": today}
        if conv:
            body["conversation_id"] = conv
        t0 = time.monotonic()
        try:
            status, text_out = post(port, "/api/v1/chat", body)
        except OSError as e:
            return None, (time.monotonic() - t0) * 1000, "no answer from the server: %r" % e
        ms = (time.monotonic() - t0) * 1000
        if status != 200:
            return None, ms, "HTTP %d: %s" % (status, text_out.strip()[:200])
        try:
            return json.loads(text_out), ms, ""
        except json.JSONDecodeError as e:
            return None, ms, "bad JSON (%s): %s" % (e, text_out[:200])

    rows = {}
    run_case = run_eval.run_case

    def recording_run_case(case, a, aliases):
        result = run_case(case, a, aliases)
        out = result[3]
        rows[case["id"]] = out.get("rows") if out else None
        return result

    run_eval.ask = ask
    run_eval.run_case = recording_run_case
    sys.argv = [args.run_eval, args.cases, "--finq", args.finq, "--db", args.db]
    status = 0
    try:
        run_eval.main()
    except SystemExit as e:
        status = e.code or 0
    finally:
        sys.stdout.flush()
        srv.send_signal(signal.SIGTERM)
        try:
            rc = srv.wait(timeout=120)
        except subprocess.TimeoutExpired:
            srv.kill()
            rc = srv.wait()
        log.close()
    if args.rows_out:
        with open(args.rows_out, "w") as f:
            json.dump(rows, f)
    served = open(log_path, errors="replace").read()
    print("server: exit %d, sanitizer report: %s" % (rc, "yes" if SAN.search(served) else "no"))
    sys.exit(status)


if __name__ == "__main__":
    main()
