/** Waits `ms` milliseconds: for a TTL or a window to pass. To wait for a condition, use `expect.poll`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
