import { Text } from '@mantine/core';
import { IconMapSearch } from '@tabler/icons-react';
import { useLocation } from 'react-router';
import { StatusPage } from '../components/status-page';

export function NotFoundPage() {
  const { pathname } = useLocation();

  return (
    <StatusPage
      testId="not-found"
      documentTitle="Page not found"
      icon={<IconMapSearch size={34} stroke={1.5} />}
      code={404}
      title="Page not found"
    >
      There is no page at{' '}
      <Text span ff="monospace" size="sm" c="var(--mantine-color-text)" style={{ wordBreak: 'break-all' }}>
        {pathname}
      </Text>
      . It may have moved, or the link may be mistyped.
    </StatusPage>
  );
}
