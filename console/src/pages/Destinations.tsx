/** Destinations: where alerts go. List, add (Slack / webhook / SNS; a URL goes to Secrets Manager and never comes back), test, severity floor, remove. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { SEVERITIES, type Severity } from '#core/types.ts';
import { addedSchema, DESTINATION_KINDS, destinationListSchema, removedSchema, testResultSchema, type DestinationRow } from '#console/contract/destinations.ts';
import { apiCall, useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { useCan } from '../session.tsx';

type Kind = (typeof DESTINATION_KINDS)[number];
const opt = <T extends string>(v: T) => ({ value: v, label: v });

function AddModal({ initial, onClose, onSaved }: { initial?: DestinationRow; onClose: () => void; onSaved: (msg: string) => void }) {
  const [id, setId] = useState(initial?.destinationId ?? '');
  const [type, setType] = useState<Kind>(initial?.type ?? 'webhook');
  const [severity, setSeverity] = useState<Severity>(initial?.minSeverity ?? 'Info');
  const [isDefault, setDefault] = useState(initial?.default ?? false);
  const [url, setUrl] = useState('');
  const [topicArn, setTopicArn] = useState(initial?.type === 'sns' && !initial.builtIn ? initial.where : '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await apiCall('/destinations', addedSchema, {
        method: 'POST',
        body: JSON.stringify({ destinationId: id.trim(), type, minSeverity: severity, default: isDefault, description, ...(type === 'sns' ? { topicArn } : { url }) }),
      });
      onSaved(`${r.destination.destinationId} saved${r.keyGenerated ? '; a signing key was generated: give it to the receiver from Secrets Manager (field signingKey)' : ''}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      visible
      closeAriaLabel="Close"
      onDismiss={onClose}
      header={initial ? `Edit ${initial.destinationId}` : 'Add a destination'}
      footer={
        <Box float="right">
          <SpaceBetween size="xs" direction="horizontal">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void save()}>
              Save
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <Form errorText={error}>
        <SpaceBetween size="m">
          <FormField label="ID" description="Lower-case letters, digits and -; policies name it in their destinations.">
            <Input value={id} disabled={Boolean(initial)} onChange={(e) => setId(e.detail.value)} ariaLabel="ID" />
          </FormField>
          <FormField label="Type">
            <Select selectedOption={opt(type)} disabled={Boolean(initial)} options={DESTINATION_KINDS.map(opt)} onChange={(e) => setType(e.detail.selectedOption.value as Kind)} ariaLabel="Type" />
          </FormField>
          <FormField label="Minimum severity" description="Alerts below it are not delivered here.">
            <Select selectedOption={opt(severity)} options={SEVERITIES.map(opt)} onChange={(e) => setSeverity(e.detail.selectedOption.value as Severity)} ariaLabel="Minimum severity" />
          </FormField>
          {type === 'sns' ? (
            !initial?.builtIn && (
              <FormField label="Topic ARN" description="A topic in the stack's account and region named posture-*">
                <Input value={topicArn} onChange={(e) => setTopicArn(e.detail.value)} ariaLabel="Topic ARN" />
              </FormField>
            )
          ) : (
            <FormField label="URL" description={initial ? 'Leave empty to keep the stored one. Stored in Secrets Manager; never shown again.' : 'Stored in Secrets Manager; never shown again.'}>
              <Input value={url} type="password" onChange={(e) => setUrl(e.detail.value)} ariaLabel="URL" />
            </FormField>
          )}
          <FormField label="Description" description="What it is for (optional)">
            <Input value={description} onChange={(e) => setDescription(e.detail.value)} ariaLabel="Description" />
          </FormField>
          <Checkbox checked={isDefault} onChange={(e) => setDefault(e.detail.checked)}>
            Default: also receives alerts whose policy names no destination
          </Checkbox>
        </SpaceBetween>
      </Form>
    </Modal>
  );
}

export function DestinationsPage() {
  const canManage = useCan('manageDestinations');
  const { data, error, loading, reload } = useApi('/destinations', destinationListSchema);
  const [selected, setSelected] = useState<DestinationRow[]>([]);
  const [editing, setEditing] = useState<{ row?: DestinationRow } | undefined>();
  const [flash, setFlash] = useState<FlashbarProps.MessageDefinition[]>([]);
  const [busy, setBusy] = useState(false);
  const one = selected[0];
  const say = (type: FlashbarProps.Type, content: string) => setFlash([{ type, content, id: 'result', dismissible: true, dismissLabel: 'Dismiss', onDismiss: () => setFlash([]) }]);
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      say('error', e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ContentLayout>
      <SpaceBetween size="m">
        {error && <ErrorFlash message={error} />}
        <Flashbar items={flash} />
        {data?.errors.map((e) => <ErrorFlash key={e} message={`${e} (ignored by the dispatcher)`} />)}
        <Table
          variant="full-page"
          loading={loading && !data}
          loadingText="Loading destinations"
          items={data?.destinations ?? []}
          trackBy="destinationId"
          selectionType={canManage ? 'single' : undefined}
          selectedItems={selected}
          onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
          ariaLabels={{ selectionGroupLabel: 'Destinations', itemSelectionLabel: (_, d) => `Select ${d.destinationId}`, allItemsSelectionLabel: () => 'Select all' }}
          header={
            <Header
              variant="h1"
              counter={data ? `(${data.destinations.length})` : undefined}
              actions={
                canManage && (
                  <SpaceBetween size="xs" direction="horizontal">
                    <Button
                      disabled={!one || busy}
                      onClick={() =>
                        void act(async () => {
                          const r = await apiCall(`/destinations/${encodeURIComponent(one!.destinationId)}/test`, testResultSchema, { method: 'POST', body: JSON.stringify({ severity: 'High' }) });
                          say(r.delivered ? 'success' : 'error', r.delivered ? `Test alert delivered to ${one!.destinationId} in ${r.attempts} attempt(s)` : `Test alert to ${one!.destinationId} failed: ${r.error}`);
                        })
                      }
                    >
                      Send test alert
                    </Button>
                    <Button disabled={!one || busy} onClick={() => setEditing({ row: one })}>
                      Edit
                    </Button>
                    <Button
                      disabled={!one || one.builtIn || busy}
                      onClick={() =>
                        void act(async () => {
                          const r = await apiCall(`/destinations/${encodeURIComponent(one!.destinationId)}`, removedSchema, { method: 'DELETE' });
                          say('success', `Removed ${r.removed}${r.secretDeleted ? '; its secret is scheduled for deletion' : ''}`);
                          setSelected([]);
                          reload();
                        })
                      }
                    >
                      Remove
                    </Button>
                    <Button variant="primary" onClick={() => setEditing({})}>
                      Add destination
                    </Button>
                  </SpaceBetween>
                )
              }
            >
              Destinations
            </Header>
          }
          empty={<Box textAlign="center">No destination</Box>}
          columnDefinitions={[
            { id: 'id', header: 'ID', cell: (d) => d.destinationId },
            { id: 'type', header: 'Type', cell: (d) => d.type },
            { id: 'severity', header: 'Minimum severity', cell: (d) => d.minSeverity },
            { id: 'default', header: 'Default', cell: (d) => (d.default ? 'yes' : 'no') },
            { id: 'where', header: 'Secret / topic', cell: (d) => d.where },
            { id: 'description', header: 'Description', cell: (d) => d.description ?? '' },
          ]}
        />
      </SpaceBetween>
      {editing && (
        <AddModal
          initial={editing.row}
          onClose={() => setEditing(undefined)}
          onSaved={(msg) => {
            setEditing(undefined);
            say('success', msg);
            setSelected([]);
            reload();
          }}
        />
      )}
    </ContentLayout>
  );
}
