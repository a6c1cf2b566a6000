-- wrk script of bench/scale.sh: GETs of the paths in file SCALE_PATHS (one a line), each thread
-- cycling through them, with bearer token SCALE_TOKEN.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

function init(args)
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
