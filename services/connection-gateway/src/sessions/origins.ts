/**
 * Which web pages may open a WebSocket. A browser lets any page open one to any host, so without
 * this check a page anywhere could talk to a gateway the visitor can reach — an embedded run on
 * their own machine, a gateway on their network. Browsers always send `Origin`; a request without
 * it is not from a page (a Node client, the SDK in Node, a test) and passes: its token still
 * decides who it is.
 */
export interface OriginPolicy {
  /** Origins allowed besides the gateway's own (`https://chat.example.com`), or `*` for any. */
  allowed: string[];
  /** Pages served from this machine (`http://localhost:<any port>`): the embedded run's default. */
  allowLocalhost: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Parses `websocket.allowed_origins`: comma-separated origins, or `*`. */
export const allowedOriginsOf = (setting: string): string[] =>
  setting
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, '').toLowerCase())
    .filter((origin) => origin !== '');

/** True when a page of `origin` may connect to the gateway reached as `host` (the Host header). */
export const originAllowed = (policy: OriginPolicy, origin: string, host: string): boolean => {
  if (origin === '') return true;
  if (policy.allowed.includes('*')) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.host === host.toLowerCase()) return true;
  if (policy.allowLocalhost && LOCAL_HOSTS.has(url.hostname)) return true;
  return policy.allowed.includes(url.origin.toLowerCase());
};
