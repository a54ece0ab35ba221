import { Text, Timeline } from '@mantine/core';
import { IconInfoCircle, IconLock } from '@tabler/icons-react';
import { SectionCard } from '../../components/section-card';

const STEPS: ReadonlyArray<{ title: string; body: string }> = [
  {
    title: 'You ask',
    body: 'The amount moves from your available balance to held at once, so it cannot be invested meanwhile.',
  },
  {
    title: 'An administrator approves',
    body: 'Until then you can cancel and the money is back in your wallet straight away.',
  },
  {
    title: 'Paid to your bank',
    body: 'Once the transfer is made it is marked paid, with its reference. A rejection returns the money.',
  },
];

/** The three steps a withdrawal goes through, from the request to the bank transfer. */
export function HowItWorksCard() {
  return (
    <SectionCard
      icon={IconLock}
      title="How it works"
      description="Every request is reviewed by a person."
      color="gray"
    >
      <Timeline active={-1} bulletSize={26} lineWidth={2} color="ocean">
        {STEPS.map((step, index) => (
          <Timeline.Item
            key={step.title}
            bullet={
              <Text size="xs" fw={700}>
                {index + 1}
              </Text>
            }
            title={
              <Text size="sm" fw={600}>
                {step.title}
              </Text>
            }
          >
            <Text size="sm" c="dimmed" lh={1.5}>
              {step.body}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      <Text size="xs" c="dimmed" mt="md">
        <IconInfoCircle size={12} style={{ verticalAlign: -1 }} /> You receive an email when a request is
        approved, rejected or paid.
      </Text>
    </SectionCard>
  );
}
