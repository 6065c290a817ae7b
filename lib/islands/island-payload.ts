import { DevalueError, uneval } from 'devalue';
import { AppError } from '../errors.js';

/**
 * Props as a JavaScript expression the browser evaluates back into equal
 * values: JSON plus Date, Map, Set, BigInt, undefined, NaN, ±Infinity and
 * shared references (devalue). devalue writes every `<` as `\u003C` and
 * escapes U+2028/2029, so no `</script>` or `<!--` can leave the script.
 */
export function serializeProps(props: Record<string, unknown>, tagName: string, file: string): string {
  try {
    return uneval(props);
  } catch (error) {
    if (!(error instanceof DevalueError)) throw error;
    const property = error.path.replace(/^\./, '') || '(props)';
    throw new AppError(
      file,
      `<${tagName}> property "${property}" cannot be sent to the browser (${error.message.replace(/^Cannot stringify /, '')}); pass data such as JSON, Date, Map, Set or BigInt, and dispatch events instead of passing functions`,
      { cause: error },
    );
  }
}
