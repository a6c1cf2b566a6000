-- wrk script: GET /v1/entries?limit=100 as one unit's officer (BENCH_TOKEN).
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   ok, other = 0, 0
   req = wrk.format("GET", "/v1/entries?limit=100", { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") })
end

function request()
   return req
end

function response(status, headers, body)
   if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
   local s2xx, sother = 0, 0
   for _, thread in ipairs(threads) do
      s2xx = s2xx + thread:get("ok")
      sother = sother + thread:get("other")
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f s2xx=%d s409=0 sother=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d status_errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000, s2xx, sother,
      e.connect, e.read, e.write, e.timeout, e.status))
end
