// Which methods a path has: every route is also added to a find-my-way router of our own (the
// router Fastify uses, with the same options), so a request that no route answers can be told
// apart: a known path asked with another method (405 with `Allow`) or an unknown path (404).
import type { RouteOptions } from 'fastify'
import FindMyWay from 'find-my-way'

// Fastify's routerOptions (app.ts): the copy must match paths exactly as the real router does.
export const routerOptions = { ignoreTrailingSlash: true, maxParamLength: 500 }

// In the order the Allow header lists them
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

export interface AllowedMethods {
  // an onRoute hook
  add: (route: RouteOptions) => void
  // The methods the request's path has (HEAD wherever GET is); empty for an unknown path.
  of: (url: string) => string[]
}

export function allowedMethods (): AllowedMethods {
  const router = FindMyWay(routerOptions)
  const noop = () => {}
  return {
    add (route) {
      // catch-alls (the CORS preflight route `OPTIONS *`) match every path and make none known
      if (route.url === '*' || route.url === '/*') return
      for (const method of [route.method].flat()) {
        if (!(METHODS as readonly string[]).includes(method)) continue
        try {
          router.on(method as (typeof METHODS)[number], route.url, noop)
        } catch {
          // declared already (Fastify's own HEAD twin of a GET route, a prefix with and without its slash)
        }
      }
    },
    of (url) {
      const found = METHODS.filter((method) => {
        try {
          return router.find(method, url) !== null
        } catch {
          return false
        }
      })
      if (found.includes('GET') && !found.includes('HEAD')) found.splice(found.indexOf('GET') + 1, 0, 'HEAD')
      return found
    },
  }
}
