// A JSON success response with its own description in OpenAPI (instead of "Default Response").
import type { z } from 'zod'

export function jsonResponse<T extends z.ZodType> (description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } }
}
