/** "Add exception": one exception per chosen finding (its policy and a resource-ID glob), with one owner, reason and expiry. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { addedExceptionsSchema, type FindingRow } from '#console/contract/findings.ts';
import { apiCall } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';

const inDays = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export function AddExceptionModal({ findings, onClose, onAdded }: { findings: FindingRow[]; onClose(): void; onAdded(message: string): void }) {
  const single = findings.length === 1;
  const [pattern, setPattern] = useState(findings[0]?.resourceId ?? '');
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const exceptions = findings.map((f) => ({ policyId: f.policyId, resourcePattern: single ? pattern : f.resourceId, owner, reason, expires }));
      const r = await apiCall('/exceptions', addedExceptionsSchema, { method: 'POST', body: JSON.stringify({ exceptions }) });
      const covered = r.added.reduce((n, a) => n + a.covered, 0);
      onAdded(`Added ${r.added.map((a) => a.exception.exceptionId).join(', ')}: ${covered} failing finding(s) suppressed`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      visible
      onDismiss={onClose}
      header={single ? 'Add exception' : `Add exceptions for ${findings.length} findings`}
      closeAriaLabel="Close"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void submit()}>
              Add
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <Form errorText={error ? <ErrorFlash message={error} /> : undefined}>
        <SpaceBetween size="m">
          {single ? (
            <>
              <FormField label="Policy">{findings[0]!.policyId}</FormField>
              <FormField label="Resources" description="A resource-ID glob: * matches any characters, ? one.">
                <Input value={pattern} onChange={(e) => setPattern(e.detail.value)} />
              </FormField>
            </>
          ) : (
            <FormField label="Findings" description="One exception per finding: its policy on its resource ID.">
              <ul>
                {findings.map((f) => (
                  <li key={`${f.policyId} ${f.resourceId}`}>
                    {f.policyId} on {f.resourceId}
                  </li>
                ))}
              </ul>
            </FormField>
          )}
          <FormField label="Owner" description="Who answers for the accepted risk.">
            <Input value={owner} onChange={(e) => setOwner(e.detail.value)} />
          </FormField>
          <FormField label="Reason">
            <Textarea value={reason} onChange={(e) => setReason(e.detail.value)} />
          </FormField>
          <FormField label="Expires" description="The last day it applies (UTC), YYYY-MM-DD.">
            <Input value={expires} onChange={(e) => setExpires(e.detail.value)} />
          </FormField>
        </SpaceBetween>
      </Form>
    </Modal>
  );
}
