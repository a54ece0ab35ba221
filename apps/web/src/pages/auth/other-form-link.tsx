import { Anchor, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { withNext } from '../../auth/next-path';

/** The line under a sign-in or sign-up card that leads to the other one, keeping where to go afterwards. */
export function OtherFormLink({
  question,
  to,
  next,
  children,
}: {
  question: string;
  to: '/sign-in' | '/sign-up';
  next: string | null | undefined;
  children: ReactNode;
}) {
  return (
    <Text size="sm" ta="center" c="dimmed">
      {question}{' '}
      <Anchor component={Link} to={withNext(to, next)} fw={600}>
        {children}
      </Anchor>
    </Text>
  );
}
