// Output values written into a JSON answer straight from their Float32Array (no Array.from of
// millions of numbers first). JSON has no Infinity or NaN: an output holding one cannot be
// answered as JSON, and is refused with the output's name and the element (the binary form of
// KServe v2 carries it as it is).
import { ValidationError } from '../../shared/network/validation-error.js';

export function finiteJsonData(name: string, values: Float32Array): string {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ValidationError(
        `output ${JSON.stringify(name)}[${i}] is ${values[i]}, which JSON cannot carry; ` +
          'ask KServe v2 for it as binary (parameters.binary_data: true on the output) to get the values as they are',
      );
    }
  }
  return `[${values.join(',')}]`;
}
