/**
 * The API reference renderer's browser script, served by the app itself so `GET /docs` works with no
 * internet access (no script, style or font from a CDN).
 */
export interface DocsBundle {
  /** Version of the renderer package: part of the script's URL, so browsers may cache it for good. */
  version: string
  /** The script's bytes, read once. Rejects when the package is not installed. */
  script(): Promise<Uint8Array>
}
