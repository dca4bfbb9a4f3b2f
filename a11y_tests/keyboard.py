"""Keyboard-only steps for the gate's journeys in real Chromium: Tab and Shift+Tab to a field, a
button or a link, type, Enter or Space — never a click — and wait until the next page has
replaced this one (a key press does not wait for the navigation it starts)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

TAB_LIMIT = 400


class Keyboard:
    """Moves through a page with Tab only, and types into what has the focus."""

    def __init__(self, browser) -> None:
        self.browser = browser

    def focused(self):
        return self.browser.switch_to.active_element

    def tab_to(self, matches, backwards: bool = False):
        from selenium.webdriver.common.action_chains import ActionChains

        for _ in range(TAB_LIMIT):
            here = self.focused()
            if here.tag_name == "input" and here.get_attribute("type") == "file":
                # send_keys on a file input means "upload this path": the Tab goes to the page instead
                chain = ActionChains(self.browser)
                (chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT) if backwards else chain.send_keys(Keys.TAB)).perform()
            else:
                here.send_keys(Keys.SHIFT, Keys.TAB) if backwards else here.send_keys(Keys.TAB)
            element = self.focused()
            if matches(element):
                return element
        raise AssertionError("Tab never reached the element")

    def to_field(self, element_id: str):
        return self.tab_to(lambda e: e.get_attribute("id") == element_id)

    def to_button(self, text: str):
        return self.tab_to(lambda e: e.tag_name == "button" and text in e.text)

    def to_link(self, text: str):
        return self.tab_to(lambda e: e.tag_name == "a" and text in e.text)

    def replace_text(self, element_id: str, text: str) -> None:
        field = self.to_field(element_id)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.DELETE)
        field.send_keys(text)

    def press(self, key=Keys.ENTER) -> None:
        self.activate(self.focused(), key)

    def activate(self, element, key=Keys.ENTER) -> None:
        """Enter on a link or button, then wait until the next page has replaced this one."""
        from selenium.webdriver.support.ui import WebDriverWait

        page = self.browser.find_element(By.TAG_NAME, "html")
        element.send_keys(key)
        WebDriverWait(self.browser, 60).until(lambda driver: replaced(page))
        WebDriverWait(self.browser, 60).until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def replaced(element) -> bool:
    """Whether the page holding ``element`` has gone. Chromium answers a question about a node of the
    page being replaced either "stale" or, mid-navigation, "does not belong to the document": both mean gone."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def start(browser, url: str) -> Keyboard:
    browser.get(url)
    browser.find_element(By.TAG_NAME, "body")  # the page is there; from here on, keys only
    return Keyboard(browser)


def sign_in(browser, base_url: str, account) -> Keyboard:
    """Sign in to the back office at ``base_url`` as ``account`` (its name and password), keys only."""
    browser.delete_all_cookies()
    keys = start(browser, base_url + "/admin/sign-in")
    keys.to_field("name").send_keys(account.name)
    keys.to_field("password").send_keys(account.password)
    keys.press()
    assert "/admin/sign-in" not in browser.current_url, browser.page_source[:2000]
    return keys
