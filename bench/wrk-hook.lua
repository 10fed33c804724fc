-- wrk script for bench/hook-ingest.ts: a ~600-byte ZLM-style on_flow_report,
-- unique per request, on a new connection each time (ZLM opens one per hook).
local counter = 0
local pad = string.rep("x", 240)
local tag = tostring(os.time()) .. tostring(math.random(100000, 999999))

request = function()
  counter = counter + 1
  local body = string.format('{"app":"rtp","duration":12,"hook_index":%d,"id":"wrk-%s-%d","ip":"192.168.10.23","mediaServerId":"bench-zlm","note":"%s","params":"","player":false,"port":40000,"protocol":"udp","schema":"rtp","stream":"34020000001320%06d","totalBytes":%d,"vhost":"__defaultVhost__"}', 5000000 + counter, tag, counter, pad, counter % 1000000, 1048576 + counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Connection"] = "close" }, body)
end
