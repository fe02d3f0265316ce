export {
  createErrorResponder,
  type ErrorMapping,
  type ErrorResponder,
  httpStatusOf,
  internalErrorResponse,
  type ServiceErrorBody,
} from './errorResponder.ts';
export { markAsAppPlugin } from './markAsAppPlugin.ts';
export {
  type AjvErrorLike,
  type RequestErrorCode,
  type RequestErrorFactory,
  type TranslateFastifyErrorOptions,
  translateFastifyError,
} from './translateFastifyError.ts';
