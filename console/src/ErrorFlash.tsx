/** A failed API call as one line at the top of the page. */
import Flashbar from '@cloudscape-design/components/flashbar';

export function ErrorFlash({ message }: { message: string }) {
  return <Flashbar items={[{ type: 'error', content: message, id: 'api-error' }]} />;
}
