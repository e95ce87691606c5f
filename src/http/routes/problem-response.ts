import { z } from '@hono/zod-openapi'

/**
 * The OpenAPI side of errors: every route declares its problem answers with `problemResponse(...)`. (The
 * problem+json answer itself is built by `problem()` in `../error-handler.ts`.)
 */
export const ProblemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() })
  .passthrough()
  .openapi('Problem')

/** An OpenAPI response entry for a problem+json answer. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})

/** The 413 entry of an upload route bounded at `maxBytes`. */
export const tooLargeResponse = (maxBytes: number) => problemResponse(`Body over ${Math.round(maxBytes / (1024 * 1024))} MB`)
