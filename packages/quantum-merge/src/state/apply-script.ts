/**
 * The Lua script behind every queue state change: a multi-record compare-and-set, idempotent by operation id.
 *
 * @remarks
 * KEYS: ops hash, merged list, entries hash, builds hash (one hash tag, so one cluster slot).
 * ARGV: operation id, the operation as JSON `{"changes":[{"kind","id","from","to","set"}],"append":[pr…]}`,
 * the time in ms. Returns `{"duplicate"}` when the operation id was applied before (nothing changes),
 * `{"conflict", kind, id, expected, actual}` when a record is not in its `from` state (nothing changes;
 * `""` stands for an absent record), else `{"applied"}` after writing every change, appending `append` to
 * the merged list and recording the operation id. Redis runs a script atomically, so no other client sees a
 * partial operation.
 *
 * @see https://redis.io/docs/latest/develop/interact/programmability/eval-intro/
 * @module
 */
export const APPLY_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return {'duplicate'}
end
local op = cjson.decode(ARGV[2])
local records = {}
for i, change in ipairs(op.changes) do
  local key = KEYS[3]
  if change.kind == 'build' then key = KEYS[4] end
  local raw = redis.call('HGET', key, change.id)
  local record = nil
  local state = ''
  if raw then
    record = cjson.decode(raw)
    state = record.state
  end
  if state ~= change.from then
    return {'conflict', change.kind, change.id, change.from, state}
  end
  records[i] = {key, record or {}}
end
for i, change in ipairs(op.changes) do
  local key = records[i][1]
  local record = records[i][2]
  if type(change.set) == 'table' then
    for field, value in pairs(change.set) do record[field] = value end
  end
  record.state = change.to
  redis.call('HSET', key, change.id, cjson.encode(record))
end
if type(op.append) == 'table' then
  for _, pr in ipairs(op.append) do redis.call('RPUSH', KEYS[2], pr) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {'applied'}
`;
