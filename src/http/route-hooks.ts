// A route's hook option is one function, a list, or nothing: as a list, to append a hook of our own
// that runs after the route's others (used from onRoute, where route-level hooks are still editable).
export const hookList = <T>(hooks: T | T[] | undefined): T[] => Array.isArray(hooks) ? hooks : hooks ? [hooks] : []
