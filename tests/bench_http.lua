-- SPDX-License-Identifier: MIT
-- bench_http.lua - wrk script for tests/bench_http.sh: rotates over a list of
-- cached tile paths and a list of /api/walk paths, counts response statuses,
-- and prints one machine-readable RESULT line when the run is done.
--
--   wrk -t2 -c32 -d20s --latency -s tests/bench_http.lua http://127.0.0.1:PORT \
--       -- TILES WALKS WALK_PERCENT IF_NONE_MATCH
--
-- TILES: a file of "path<TAB>etag" lines (the ETag of the gzip answer);
-- WALKS: a file of one path per line; WALK_PERCENT (0-100): the share of
-- requests that are walks, spread evenly (20 = every fifth request);
-- IF_NONE_MATCH: 1 to send each tile's ETag as If-None-Match (the server
-- should answer 304), 0 not to. Every tile request sends
-- Accept-Encoding: gzip, as a browser does.
--
-- Requests are formatted once in init() (wrk's advice for fast servers) and
-- request() only picks the next one; each wrk thread starts at a different
-- place in the lists. response() counts statuses by class (it costs wrk a
-- little CPU per answer; wrk's own errors.status, the count of statuses
-- > 399, is printed next to it as a cross-check).

local counters = {}

function setup(thread)
  thread:set("id", #counters + 1)
  table.insert(counters, thread)
end

local function read_lines(name)
  local lines = {}
  local f = assert(io.open(name, "r"))
  for line in f:lines() do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  f:close()
  return lines
end

local tile_reqs, walk_reqs = {}, {}
local ti, wi, n = 0, 0, 0
local walk_pct = 0

function init(args)
  local tiles_file, walks_file = args[1], args[2]
  walk_pct = tonumber(args[3] or "0")
  local inm = args[4] == "1"
  if walk_pct < 100 then
    for _, line in ipairs(read_lines(tiles_file)) do
      local path, etag = line:match("^([^\t]+)\t?(.*)$")
      local h = { ["Accept-Encoding"] = "gzip" }
      if inm and etag ~= "" then
        h["If-None-Match"] = etag
      end
      table.insert(tile_reqs, wrk.format("GET", path, h))
    end
  end
  if walk_pct > 0 then
    for _, path in ipairs(read_lines(walks_file)) do
      table.insert(walk_reqs, wrk.format("GET", path, {}))
    end
  end
  -- Different starting points per thread (id is set by setup()).
  ti = ((id or 1) - 1) * 97
  wi = ((id or 1) - 1) * 89
  s2xx, s3xx, s4xx, s5xx, sother = 0, 0, 0, 0, 0
  s200, s204, s304 = 0, 0, 0
end

function request()
  -- Request n is a walk when floor((n + 1) * p / 100) > floor(n * p / 100):
  -- p walks in every 100 requests, evenly spaced.
  local walk = math.floor((n + 1) * walk_pct / 100) > math.floor(n * walk_pct / 100)
  n = n + 1
  if walk then
    wi = wi + 1
    return walk_reqs[(wi % #walk_reqs) + 1]
  end
  ti = ti + 1
  return tile_reqs[(ti % #tile_reqs) + 1]
end

function response(status, headers, body)
  if status == 200 then
    s200 = s200 + 1
  elseif status == 204 then
    s204 = s204 + 1
  elseif status == 304 then
    s304 = s304 + 1
  end
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status >= 300 and status < 400 then
    s3xx = s3xx + 1
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  elseif status >= 500 and status < 600 then
    s5xx = s5xx + 1
  else
    sother = sother + 1
  end
end

function done(summary, latency, requests)
  local c = { s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, sother = 0, s200 = 0, s204 = 0, s304 = 0 }
  for _, thread in ipairs(counters) do
    for k, _ in pairs(c) do
      c[k] = c[k] + (thread:get(k) or 0)
    end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
    "max_ms=%.3f bytes=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d sother=%d s200=%d s204=%d s304=%d " ..
    "connect=%d read=%d write=%d timeout=%d status_gt399=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.bytes,
    c.s2xx, c.s3xx, c.s4xx, c.s5xx, c.sother, c.s200, c.s204, c.s304,
    e.connect, e.read, e.write, e.timeout, e.status))
end
