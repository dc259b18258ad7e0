export { createKamarAdapter, type KamarAdapterOptions } from './adapter';
export { startKamarReceiver, DEFAULT_MAX_BODY_BYTES, type KamarReceiver, type KamarReceiverOptions } from './receiver';
export { checkTransport, isLoopback, KamarReceiverConfigError, type ReceiverTls } from './tls';
export type { UploadFormat } from './upload';
