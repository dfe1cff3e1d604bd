#!/usr/bin/env bash
# Sourced by .ci/run: installs redis-server when missing, starts it on a free loopback port without
# persistence, exports REDIS_URL and stops it when the calling shell exits.

if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

REDIS_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
REDIS_DIR=$(mktemp -d)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$REDIS_DIR" --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"

stop_redis() {
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$REDIS_DIR"
}
trap stop_redis EXIT

for _ in $(seq 1 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping >/dev/null
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
echo "redis-server listening at $REDIS_URL"
