-- GCRA over every limit of one request, atomically, with leases. n limits; KEYS[i]: the state (theoretical arrival
-- time, microseconds) of limit i; KEYS[n+i]: its outstanding leases (a sorted set: member "<lease id>:<units>",
-- score = the lease's expiry, Redis time in microseconds).
-- ARGV[2i-1], ARGV[2i]: limit i's emission interval and tolerance in microseconds; then
--   units       the request's weight (0: a lease only, taken ahead of need)
--   lease_max   largest lease: a decision takes max(units, min(lease_max, remaining / 16)) units; 1: no lease; 0
--               with units 0: no decision at all, only the leases below given back
--   lease_ttl   how long Redis keeps a lease not given back (microseconds; longer than the holder spends from it)
--   lease_id    the id the new lease gets
--   returned    leases given back, "<member>=<unused units>" separated by commas ('' for none)
-- Returns {now, lease units granted beyond the request, tat_1 .. tat_n} with the TATs as the decision saw them
-- (already raised by outstanding leases), so the caller derives the same verdict and headers with the same arithmetic
-- (all values are integers below 2^53, exact in Lua numbers).
--
-- A lease's units are counted in the TAT when it is granted, and until it ends each limit's TAT is kept at least
-- (units of outstanding leases) emission intervals ahead of now: otherwise a bucket refilling while an instance holds
-- units would let others take a whole burst and the holder spend its units on top. A lease ends when given back (its
-- unused units leave the TAT) or when it expires unreturned (its units then count as spent now).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local n = #KEYS / 2
local units = tonumber(ARGV[2 * n + 1])
local lease_max = tonumber(ARGV[2 * n + 2])
local lease_ttl = tonumber(ARGV[2 * n + 3])
local lease_id = ARGV[2 * n + 4]
local returned = {}
for member, unused in string.gmatch(ARGV[2 * n + 5], '([^,=]+)=(%d+)') do
  returned[member] = tonumber(unused)
end
local tats = {}
local remaining = nil
for i = 1, n do
  local emission = tonumber(ARGV[2 * i - 1])
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i])) or 0
  local entries = redis.call('ZRANGE', KEYS[n + i], 0, -1, 'WITHSCORES')
  local held, live, changed, unused = 0, 0, false, 0
  for j = 1, #entries, 2 do
    local member = entries[j]
    local leased = tonumber(string.match(member, ':(%d+)$'))
    held = held + leased
    if returned[member] then
      redis.call('ZREM', KEYS[n + i], member)
      unused = unused + returned[member]
      changed = true
    elseif tonumber(entries[j + 1]) <= now then
      redis.call('ZREM', KEYS[n + i], member)
      changed = true
    else
      live = live + leased
    end
  end
  tat = math.max(tat, now + held * emission) - unused * emission
  tat = math.max(tat, now + live * emission)
  if changed then
    redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
  end
  tats[i] = tat
  local fits = math.floor((tolerance - (tat - now)) / emission)
  if remaining == nil or fits < remaining then
    remaining = fits
  end
end
local extra = 0
if units <= remaining then
  extra = math.max(0, math.min(lease_max, math.floor(remaining / 16)) - units)
end
if units <= remaining and units + extra > 0 then
  for i = 1, n do
    local emission = tonumber(ARGV[2 * i - 1])
    local new_tat = tats[i] + emission * (units + extra)
    redis.call('SET', KEYS[i], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
    if extra > 0 then
      redis.call('ZADD', KEYS[n + i], now + lease_ttl, lease_id .. ':' .. extra)
      -- outlives the TAT, so that a lease expiring unreturned still raises the TAT when next seen
      redis.call('PEXPIRE', KEYS[n + i], math.ceil((new_tat - now + lease_ttl) / 1000) + 1000)
    end
  end
end
local reply = {now, extra}
for i = 1, n do
  reply[i + 2] = tats[i]
end
return reply
