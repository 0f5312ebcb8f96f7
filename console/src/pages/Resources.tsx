/** The Cloud Resources page: the list, or with `?id=` one resource (one registry entry, so the resource page stays out of the navigation). */
import { useSearchParams } from 'react-router-dom';
import { ResourceDetail } from './ResourceDetail.tsx';
import { ResourcesList } from './ResourcesList.tsx';

export function ResourcesPage() {
  const [params] = useSearchParams();
  const id = params.get('id');
  return id ? <ResourceDetail key={id} id={id} /> : <ResourcesList />;
}
