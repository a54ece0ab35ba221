import {
  ActionIcon,
  type MantineColorScheme,
  Menu,
  Tooltip,
  useMantineColorScheme,
  VisuallyHidden,
} from '@mantine/core';
import { type Icon, IconCheck, IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';

const OPTIONS: ReadonlyArray<{ value: MantineColorScheme; label: string; icon: Icon }> = [
  { value: 'light', label: 'Light', icon: IconSun },
  { value: 'dark', label: 'Dark', icon: IconMoon },
  { value: 'auto', label: 'System', icon: IconDeviceDesktop },
];

/** Light, dark, or follow the operating system; Mantine's color scheme manager keeps the choice in localStorage. */
export function ColorSchemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const current = OPTIONS.find((option) => option.value === colorScheme) ?? OPTIONS[2];
  const CurrentIcon = current?.icon ?? IconDeviceDesktop;
  const label = `Color scheme: ${current?.label ?? 'System'}`;

  return (
    <Menu position="bottom-end" width={170} shadow="md">
      <Menu.Target>
        <Tooltip label={label}>
          <ActionIcon variant="default" size="lg" aria-label={label}>
            <CurrentIcon size={18} stroke={1.6} />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Appearance</Menu.Label>
        {OPTIONS.map((option) => {
          const selected = option.value === colorScheme;
          return (
            <Menu.Item
              key={option.value}
              leftSection={<option.icon size={16} stroke={1.6} />}
              rightSection={selected ? <IconCheck size={16} /> : null}
              onClick={() => {
                setColorScheme(option.value);
              }}
            >
              {option.label}
              {selected ? <VisuallyHidden> (current)</VisuallyHidden> : null}
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
