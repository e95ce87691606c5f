/** `data/ahsp/*.tsv.gz`, bundled by esbuild's `binary` loader (`npm run build:workerd`) as bytes. */
declare module '*.gz' {
  const bytes: Uint8Array
  export default bytes
}

/** workerd's own module (external to the bundle): the worker's bindings, readable at load time. */
declare module 'cloudflare:workers' {
  export const env: Record<string, unknown>
}
