/** The Autotask PSA adapter and the resolution of its zone lookup URL. */
export {
  type AutotaskAdapterOptions,
  type AutotaskConfig,
  createAutotaskAdapter,
} from './adapter.ts'
export { AUTOTASK_DEFAULT_ZONE_URL, isAutotaskHost, resolveAutotaskZoneUrl } from './zone.ts'
