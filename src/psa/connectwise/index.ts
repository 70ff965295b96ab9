/** The ConnectWise PSA adapter and the resolution of its base URL. */
export {
  type ConnectWiseAdapterOptions,
  type ConnectWiseConfig,
  createConnectWiseAdapter,
} from './adapter.ts'
export { isConnectWiseCloudHost, resolveConnectWiseBaseUrl } from './base-url.ts'
