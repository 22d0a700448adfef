import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Collapse } from 'antd';
import { KEPT_PROPERTIES } from './antd-styles';
import { renderAt } from './render';

/** Every property declared by antd's CSS-in-JS in the document (its <style> tags carry data-css-hash). */
function antdDeclaredProperties(): string[] {
  const properties: string[] = [];
  const visit = (rules: CSSRuleList) => {
    for (const rule of rules) {
      if (rule instanceof CSSStyleRule) for (const property of rule.style) properties.push(property);
      else if (rule instanceof CSSGroupingRule) visit(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) {
    if (sheet.ownerNode instanceof Element && sheet.ownerNode.hasAttribute('data-css-hash')) visit(sheet.cssRules);
  }
  return properties;
}

describe("the tests' view of antd's CSS (test/antd-styles.tsx)", () => {
  it("still hides a collapsed panel by antd's own rule", async () => {
    renderAt('/', <Collapse items={[{ key: 'a', label: '处理经过', children: <button type="button">查看附件</button> }]} />);
    const header = screen.getByRole('button', { name: /处理经过/ });
    await userEvent.click(header);
    const button = await screen.findByRole('button', { name: '查看附件' });
    await waitFor(() => expect(button).toBeVisible()); // once the opening motion's opacity: 0 is over

    await userEvent.click(header);
    // Still in the document, with nothing inline: antd's `.ant-collapse-content-hidden { display: none }` hides it.
    await waitFor(() => expect(screen.queryByRole('button', { name: '查看附件' })).toBeNull());
    expect(button).toBeInTheDocument();
    expect(button).not.toBeVisible();
    const content = button.closest<HTMLElement>('.ant-collapse-content');
    expect(content).toHaveClass('ant-collapse-content-hidden');
    expect(content?.style.display).toBe('');
  });

  it('keeps only the declarations that hide, disable or fade', () => {
    renderAt('/', <Collapse items={[{ key: 'a', label: '处理经过', children: '—' }]} />);
    const properties = antdDeclaredProperties();
    expect(properties).toContain('display');
    const camel = (p: string) => p.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    expect(properties.filter((p) => !KEPT_PROPERTIES.has(camel(p)))).toEqual([]);
  });
});
