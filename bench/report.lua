-- Shared by the wrk scripts of bench/ (loaded with dofile): counts responses per thread and prints
-- the one RESULT line that bench_wrk (bench/lib.sh) reads, with the same keys for every script.
-- A script defines init() and request(); setup(), response() and done() are these.
threads = {}

function setup(thread)
   thread:set("index", #threads)
   table.insert(threads, thread)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = (ok or 0) + 1
   elseif status == 409 then
      conflict = (conflict or 0) + 1
   else
      other = (other or 0) + 1
   end
end

function done(summary, latency, requests)
   local s2xx, s409, sother = 0, 0, 0
   for _, thread in ipairs(threads) do
      s2xx = s2xx + (thread:get("ok") or 0)
      s409 = s409 + (thread:get("conflict") or 0)
      sother = sother + (thread:get("other") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f s2xx=%d s409=%d sother=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d status_errors=%d errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000, s2xx, s409, sother,
      e.connect, e.read, e.write, e.timeout, e.status, e.connect + e.read + e.write + e.timeout + e.status))
end
