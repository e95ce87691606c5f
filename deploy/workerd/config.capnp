# workerd config for the embedded default: `npm run build:workerd && npm run start:workerd`
# (http on 127.0.0.1:8787; `-s http=127.0.0.1:PORT` overrides). Every setting is read from the
# environment workerd runs in (`fromEnvironment`; unset = default), as on Node, Bun and Deno.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "ahsp", worker = .ahsp) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "ahsp") ],
);

const ahsp :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "../../dist/workerd/worker.js") ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "APP_ENV", fromEnvironment = "APP_ENV"),
    (name = "LOG_LEVEL", fromEnvironment = "LOG_LEVEL"),
    (name = "ADMIN_USERNAME", fromEnvironment = "ADMIN_USERNAME"),
    (name = "ADMIN_PASSWORD", fromEnvironment = "ADMIN_PASSWORD"),
    (name = "BODY_LIMIT", fromEnvironment = "BODY_LIMIT"),
    (name = "CACHE_BACKEND", fromEnvironment = "CACHE_BACKEND"),
    (name = "CACHE_KEY_PREFIX", fromEnvironment = "CACHE_KEY_PREFIX"),
    (name = "CACHE_MAX_ENTRIES", fromEnvironment = "CACHE_MAX_ENTRIES"),
    (name = "CACHE_TIMEOUT", fromEnvironment = "CACHE_TIMEOUT"),
    (name = "CACHE_VERSION", fromEnvironment = "CACHE_VERSION"),
    (name = "DATABASE_URL", fromEnvironment = "DATABASE_URL"),
    (name = "REDIS_URL", fromEnvironment = "REDIS_URL"),
    (name = "FTS_CACHE_RESULTS", fromEnvironment = "FTS_CACHE_RESULTS"),
    (name = "FTS_CACHE_TTL", fromEnvironment = "FTS_CACHE_TTL"),
    (name = "FTS_MIN_QUERY_LENGTH", fromEnvironment = "FTS_MIN_QUERY_LENGTH"),
    (name = "PRICE_OVERHEAD_PERCENT", fromEnvironment = "PRICE_OVERHEAD_PERCENT"),
    (name = "PRICE_TAX_PERCENT", fromEnvironment = "PRICE_TAX_PERCENT"),
    (name = "RATE_LIMIT_API", fromEnvironment = "RATE_LIMIT_API"),
    (name = "RATE_LIMIT_IMPORT", fromEnvironment = "RATE_LIMIT_IMPORT"),
    (name = "RATE_LIMIT_LOGIN", fromEnvironment = "RATE_LIMIT_LOGIN"),
    (name = "SESSION_IDLE_TTL", fromEnvironment = "SESSION_IDLE_TTL"),
    (name = "SESSION_TTL", fromEnvironment = "SESSION_TTL"),
    (name = "TRUST_PROXY", fromEnvironment = "TRUST_PROXY"),
  ],
);
