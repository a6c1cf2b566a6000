-- wrk script: GET /v1/entries?limit=100 as one unit's officer (BENCH_TOKEN).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

function init(args)
   req = wrk.format("GET", "/v1/entries?limit=100", { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") })
end

function request()
   return req
end
