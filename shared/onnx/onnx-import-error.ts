import { ValidationError, type ValidationKind } from '../network/validation-error.js';

// An ONNX model trtfarm cannot import: the caller's fault (invalid, or over a limit).
export class OnnxImportError extends ValidationError {
  constructor(message: string, kind: ValidationKind = 'invalid') {
    super(`ONNX: ${message}`, kind);
    this.name = 'OnnxImportError';
  }
}
