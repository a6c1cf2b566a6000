-- wrk script of bench/scale.sh: GETs of the paths in file SCALE_PATHS (one a line), each thread
-- cycling through them, with bearer token SCALE_TOKEN. Prints a RESULT line (see bench/list.lua).
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   ok, other = 0, 0
   paths, n = {}, 0
   for line in io.lines(os.getenv("SCALE_PATHS")) do
      if line ~= "" then table.insert(paths, line) end
   end
   headers = { ["Authorization"] = "Bearer " .. os.getenv("SCALE_TOKEN"), ["Accept"] = "application/json" }
end

function request()
   n = n + 1
   return wrk.format("GET", paths[(n % #paths) + 1], headers)
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
      "RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f s2xx=%d sother=%d errors=%d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, s2xx, sother,
      e.connect + e.read + e.write + e.timeout + e.status))
end
