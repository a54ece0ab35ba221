import { Button, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { Link } from 'react-router';

interface Step {
  key: string;
  title: string;
  description: string;
  done: boolean;
  to: string;
  action: string;
}

/**
 * For an investor who has never invested: the three things to do, in order (subscribe → deposit → invest), each
 * ticked once done, with a button for the next one. Gone once they hold an investment.
 */
export function FirstSteps({
  subscribed,
  funded,
  invested,
}: {
  subscribed: boolean;
  funded: boolean;
  invested: boolean;
}) {
  const steps: Step[] = [
    {
      key: 'subscribe',
      title: 'Subscribe',
      description: 'A subscription ($2 a month) lets you invest in any pool.',
      done: subscribed,
      to: '/subscription',
      action: 'Subscribe',
    },
    {
      key: 'deposit',
      title: 'Add money to your wallet',
      description: 'Deposit what you want to invest; you can withdraw what you do not use.',
      done: funded,
      to: '/wallet',
      action: 'Deposit',
    },
    {
      key: 'invest',
      title: 'Invest in a pool',
      description: 'Pick a pool that is raising or trading and buy shares at its NAV.',
      done: invested,
      to: '/pools',
      action: 'Browse pools',
    },
  ];
  const next = steps.find((step) => !step.done);
  return (
    <Card component="section" aria-labelledby="first-steps-title" mb="xl" data-testid="first-steps">
      <Title order={2} size="h4" id="first-steps-title" mb={4}>
        Get started in three steps
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Everything you need before your first investment.
      </Text>
      <Stack gap="sm">
        {steps.map((step, index) => (
          <Group
            key={step.key}
            justify="space-between"
            wrap="wrap"
            gap="sm"
            data-testid={`first-step-${step.key}`}
            data-done={step.done || undefined}
          >
            <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0, flex: '1 1 240px' }}>
              <ThemeIcon
                radius="xl"
                size={28}
                variant={step.done ? 'filled' : 'light'}
                color={step.done ? 'teal' : 'gray'}
                aria-hidden
              >
                {step.done ? (
                  <IconCheck size={16} />
                ) : (
                  <Text size="sm" fw={700}>
                    {index + 1}
                  </Text>
                )}
              </ThemeIcon>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fw={600} c={step.done ? 'dimmed' : undefined}>
                  {step.title}
                  {step.done ? (
                    <Text span size="sm" c="teal" fw={600} inherit>
                      {' '}
                      · done
                    </Text>
                  ) : null}
                </Text>
                <Text size="sm" c="dimmed">
                  {step.description}
                </Text>
              </Stack>
            </Group>
            {step === next ? (
              <Button component={Link} to={step.to} size="xs">
                {step.action}
              </Button>
            ) : null}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
