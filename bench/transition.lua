-- wrk script: submit / withdraw on disjoint entries through the HTTP API.
--
-- Environment: BENCH_ENTRIES_FILE ("id token state" lines: every entry in draft or
-- department_review, as the database has them now), BENCH_WRK_THREADS (wrk's -t).
-- Thread k takes lines k, k+T, k+2T… and walks them in order, round after round, sending submit
-- for an entry in draft and withdraw for one in department_review, then flipping its state.
-- A slice holds far more entries than the thread has connections, so an entry's previous request
-- has completed long before its next one is sent; requests never race on one entry.
local threads = {}

function setup(thread)
   thread:set("index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
   local file = assert(io.open(os.getenv("BENCH_ENTRIES_FILE"), "r"))
   ids, tokens, drafts = {}, {}, {}
   local i = 0
   for line in file:lines() do
      if i % nthreads == index then
         local id, token, state = line:match("^(%S+)%s+(%S+)%s+(%S+)")
         table.insert(ids, id)
         table.insert(tokens, token)
         table.insert(drafts, state == "draft")
      end
      i = i + 1
   end
   file:close()
   pos = 0
   ok, conflict, other = 0, 0, 0
   -- wrk calls request() once on thread 0 right after init() to check the script, and never sends
   -- that request: answer it without consuming an entry.
   verifying = (index == 0)
end

function request()
   if verifying then
      verifying = false
      return wrk.format("GET", "/healthz")
   end
   pos = pos + 1
   if pos > #ids then
      pos = 1
   end
   local action = drafts[pos] and "submit" or "withdraw"
   drafts[pos] = not drafts[pos]
   return wrk.format("POST", "/v1/entries/" .. ids[pos] .. "/actions/" .. action,
                     { ["Authorization"] = "Bearer " .. tokens[pos] }, "")
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
   elseif status == 409 then
      conflict = conflict + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local s2xx, s409, sother = 0, 0, 0
   for _, thread in ipairs(threads) do
      s2xx = s2xx + thread:get("ok")
      s409 = s409 + thread:get("conflict")
      sother = sother + thread:get("other")
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f s2xx=%d s409=%d sother=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d status_errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000, s2xx, s409, sother,
      e.connect, e.read, e.write, e.timeout, e.status))
end
