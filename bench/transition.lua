-- wrk script: submit / withdraw on disjoint entries through the HTTP API.
--
-- Environment: BENCH_ENTRIES_FILE ("id token state" lines: every entry in draft or
-- department_review, as the database has them now), BENCH_WRK_THREADS (wrk's -t).
-- Thread k takes lines k, k+T, k+2T… and walks them in order, round after round, sending submit
-- for an entry in draft and withdraw for one in department_review, then flipping its state.
-- A slice holds far more entries than the thread has connections, so an entry's previous request
-- has completed long before its next one is sent; requests never race on one entry.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

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
