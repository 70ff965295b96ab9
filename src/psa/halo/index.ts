/** The HaloPSA adapter and the resolution of its base URL. */
export { createHaloAdapter, type HaloAdapterOptions, type HaloConfig } from './adapter.ts'
export { isHaloHostedHost, resolveHaloBaseUrl } from './base-url.ts'
