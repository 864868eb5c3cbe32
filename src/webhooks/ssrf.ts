// Where webhooks and purges may go. By default only https: URLs whose every resolved address is
// public: loopback, private (RFC 1918), CGNAT, link-local (with the 169.254.169.254 metadata
// service), multicast, reserved and documentation ranges, and IPv6 loopback, ULA, link-local and
// IPv4-mapped/NAT64 addresses are refused. The check runs when an endpoint is created or changed
// (a clear 400) and again at every delivery on the addresses the name resolves to then, and the
// connection goes to exactly the address that was checked (a custom `lookup`), so a DNS answer
// that changes in between (rebinding) cannot reach an internal address.
// WEBHOOK_ALLOW_HTTP=true also allows http:; WEBHOOK_ALLOW_PRIVATE=true lifts the address check
// (local development and tests).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

export interface UrlPolicy { allowHttp: boolean, allowPrivate: boolean }

// two lists: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too
const blocked = new BlockList()
const blockedV6 = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64],
  ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blockedV6.addSubnet(net, prefix, 'ipv6')

// true when a delivery may not connect to this address
export function isForbiddenAddress (address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  return family === 4 ? blocked.check(address, 'ipv4') : blockedV6.check(address, 'ipv6')
}

export class UnsafeUrlError extends Error {}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '')

// The URL's syntax and scheme (no DNS): the reason it is refused, or null.
export function urlProblem (raw: string, policy: UrlPolicy): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return policy.allowHttp ? 'must be an http: or https: URL' : 'must be an https: URL (http: needs WEBHOOK_ALLOW_HTTP=true)'
  }
  if (url.username || url.password) return 'must not carry a user name or password'
  const host = bareHost(url.hostname)
  if (!policy.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) {
    return `points to ${host}, a loopback, private, link-local or otherwise internal address (WEBHOOK_ALLOW_PRIVATE=true allows it)`
  }
  return null
}

function resolveAll (hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => error ? reject(error) : resolve(addresses))
  })
}

// At creation: the syntax, then the addresses the name resolves to now (a name that does not
// resolve yet is accepted: it is checked again at every delivery).
export async function checkUrl (raw: string, policy: UrlPolicy): Promise<string | null> {
  const problem = urlProblem(raw, policy)
  if (problem || policy.allowPrivate) return problem
  const host = bareHost(new URL(raw).hostname)
  if (isIP(host) !== 0) return null
  let addresses: LookupAddress[]
  try {
    addresses = await resolveAll(host)
  } catch {
    return null
  }
  const bad = addresses.find((a) => isForbiddenAddress(a.address))
  return bad ? `resolves to ${bad.address}, a loopback, private, link-local or otherwise internal address (WEBHOOK_ALLOW_PRIVATE=true allows it)` : null
}

// The `lookup` of a delivery's connection: resolves every address, refuses the connection when any
// is internal, and hands the socket only the addresses it checked.
export function checkedLookup (policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname).then((all) => {
      const family = typeof options === 'object' ? options.family : options
      const addresses = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all
      if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' })
      const bad = policy.allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address))
      if (bad) throw new UnsafeUrlError(`${hostname} resolves to ${bad.address}, an internal address`)
      if (typeof options === 'object' && options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      else callback(null, addresses[0]!.address, addresses[0]!.family)
    }).catch((error: NodeJS.ErrnoException) => callback(error, '', 0))
  }
}
