/**
 * The shipped SNI 2025 AHSP reference as bytes: the gzipped two-file TSV export (`data/ahsp/*.tsv.gz`).
 * Where they come from is the adapter's business (a file on Node/Bun/Deno, a bundled module on an edge
 * runtime); turning them into jobs is the import use case's (`parseReference`).
 */
export interface ReferenceFiles {
  /** gzip of `ahsp_jobs.tsv`. */
  jobs: Uint8Array
  /** gzip of `ahsp_components.tsv`. */
  components: Uint8Array
}
