import { ValidationError } from '../network/validation-error.js';

// An ONNX model trtfarm cannot import: the caller's fault (400, or 413 over a limit).
export class OnnxImportError extends ValidationError {
  constructor(message: string, statusCode: 400 | 413 = 400) {
    super(`ONNX: ${message}`, statusCode);
    this.name = 'OnnxImportError';
  }
}
