#!/usr/bin/env python3
"""The workbench in a real browser: headless Chromium (Debian chromium + chromium-driver) driven by Selenium
(PyPI), against a running zorgzones service. What it checks comes from the data package (rzz.csv, the scenario
CSVs), not from the program:

- the page loads with no console error; every RZZ has a hover title a pointer reaches (elementFromPoint on its
  label finds a <title> naming it);
- moving ELZ Oostkust into RZZ Limburg makes a contiguity violation naming the zone appear; undo makes it go;
- scenario b shows 3 violations; the smallest change to it that /v1/propose finds, loaded with a click, has none;
- the downloaded CSV is the zoning's table (every ELZ of rzz.csv, with the RZZ the scenario gives it);
- zooming in on Antwerp (select an ELZ of Antwerp, zoom to it) narrows the map's viewBox;
- keyboard: the map takes focus and zooms with '+'.

Screenshots at 1400x1000 and at a phone's 390x844 go to OUT (default .build/browser-artefacts).
Usage: Scripts/browser/workbench.py URL DATA_DIR REPO [OUT]; prints 'ok ...' per check, exit 1 on a failure.
"""
import csv
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

URL, DATA, REPO = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
OUT = sys.argv[4] if len(sys.argv) > 4 else os.path.join(REPO, ".build", "browser-artefacts")
os.makedirs(OUT, exist_ok=True)
failures = []


def check(ok, what):
    print(("ok " if ok else "FAILED ") + what, flush=True)
    if not ok:
        failures.append(what)


def table(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


rzz = table(os.path.join(DATA, "rzz.csv"))
elz_names = {r["elz_code"]: r["elz_name"] for r in rzz}
oostkust = next(c for c, n in elz_names.items() if n == "Oostkust")
limburg = next(r["rzz_code"] for r in rzz if r["rzz_name"] == "Limburg")
antwerp = next(c for c, n in elz_names.items() if n == "Antwerpen Centrum")
scenario_b = table(os.path.join(REPO, "GeoData", "scenarios", "b-regio-gent-gesplitst.csv"))

opts = Options()
for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=nl-BE"]:
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
downloads = os.path.join(OUT, "downloads")
os.makedirs(downloads, exist_ok=True)
opts.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
wait = WebDriverWait(driver, 60)


def idle():
    wait.until(lambda d: d.execute_script("return document.getElementById('busy').hidden && !!document.querySelector('#map svg')"))


def verdict():
    return driver.find_element(By.ID, "verdict").text


def findings(level):
    return [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#findings li[data-level='%s']" % level)]


def move(elz, target):
    Select(driver.find_element(By.ID, "elzsel")).select_by_value(elz)
    Select(driver.find_element(By.ID, "target")).select_by_value(target)
    driver.find_element(By.ID, "move").click()
    time.sleep(0.3)
    idle()


try:
    driver.get(URL + "/workbench")
    idle()
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl", "the page is Dutch by default")
    check(verdict().startswith("Voldoet"), "the concept note's zoning meets art. 18: " + verdict())
    driver.save_screenshot(os.path.join(OUT, "workbench-1400x1000.png"))

    # Every RZZ's hover title is reachable: the element under its label's centre carries a <title> naming it.
    names = sorted({r["rzz_name"] for r in rzz})
    reached = driver.execute_script("""
        const out = {};
        for (const t of document.querySelectorAll('#rzz-labels text')) {
          t.scrollIntoView({block: 'center'});
          const r = t.getBoundingClientRect();
          const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          const holder = e && e.closest('text, path');
          const title = holder && holder.querySelector('title');
          if (title) out[t.dataset.code] = title.textContent;
        }
        return out;""")
    missing = [n for n in names if not any(("RZZ " + n + " (") in v for v in reached.values())]
    check(not missing, "every RZZ's hover title is reachable (%d of %d)%s" % (len(names) - len(missing), len(names),
                                                                            "; missing: " + ", ".join(missing) if missing else ""))

    # Oostkust into Limburg: a contiguity violation naming it; undo: gone.
    move(oostkust, limburg)
    v = [t for t in findings("violation") if "Limburg" in t and "niet aaneengesloten" in t and "Oostkust" in t]
    check(bool(v), "moving Oostkust into Limburg shows a contiguity violation naming Oostkust: %s" % findings("violation"))
    check("Oostkust" in driver.find_element(By.ID, "status").text, "the status names Oostkust: " + driver.find_element(By.ID, "status").text)
    driver.save_screenshot(os.path.join(OUT, "workbench-oostkust-in-limburg.png"))
    driver.find_element(By.ID, "undo").click()
    time.sleep(0.3)
    idle()
    check(not [t for t in findings("violation") if "niet aaneengesloten" in t], "undo removes it: " + verdict())
    driver.find_element(By.ID, "redo").click()
    time.sleep(0.3)
    idle()
    check(bool([t for t in findings("violation") if "niet aaneengesloten" in t]), "redo brings it back")
    check("z=" + oostkust + ":" + limburg in driver.current_url, "the link encodes the move: " + driver.current_url)

    # Scenario b: 3 violations.
    driver.find_element(By.CSS_SELECTOR, "#scenarios button[data-scenario='b-regio-gent-gesplitst']").click()
    time.sleep(0.3)
    idle()
    check(len(findings("violation")) == 3 and verdict().startswith("3 schendingen"), "scenario b: " + verdict())

    # The CSV download is the scenario's table.
    for f in os.listdir(downloads):
        os.remove(os.path.join(downloads, f))
    driver.find_element(By.ID, "dl-csv").click()
    path = os.path.join(downloads, "zonering.csv")
    for _ in range(100):
        if os.path.exists(path) and os.path.getsize(path) > 0:
            break
        time.sleep(0.1)
    got = {r["elz_code"]: r["rzz_code"] for r in table(path)}
    want = {r["elz_code"]: r["rzz_code"] for r in scenario_b}
    check(got == want, "the downloaded CSV is scenario b's table (%d ELZ)" % len(got))

    # Proposals: the smallest change to scenario b that meets every rule, loaded with a click.
    Select(driver.find_element(By.ID, "objective")).select_by_value("changes")
    driver.find_element(By.ID, "propose").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#proposals button[data-proposal='1']"))
    idle()
    first = driver.find_element(By.CSS_SELECTOR, "#proposals button[data-proposal='1']")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#proposals button")) == 5, "five proposals listed: " + first.text)
    first.click()
    time.sleep(0.3)
    idle()
    check(verdict().startswith("Voldoet") and not findings("violation"), "proposal 1 from scenario b meets art. 18: " + verdict())
    driver.save_screenshot(os.path.join(OUT, "workbench-proposal.png"))

    # Zoom in on Antwerp.
    before = driver.execute_script("return document.querySelector('#map svg').viewBox.baseVal.width")
    Select(driver.find_element(By.ID, "elzsel")).select_by_value(antwerp)
    driver.find_element(By.ID, "zoomsel").click()
    after = driver.execute_script("return document.querySelector('#map svg').viewBox.baseVal.width")
    check(after < before / 3, "zoom to Antwerpen Centrum: viewBox %.0f -> %.0f" % (before, after))
    driver.save_screenshot(os.path.join(OUT, "workbench-antwerp.png"))
    driver.find_element(By.ID, "zoomreset").click()
    mapbox = driver.find_element(By.ID, "mapbox")
    mapbox.click()
    mapbox.send_keys("+")
    w = driver.execute_script("return document.querySelector('#map svg').viewBox.baseVal.width")
    check(w < before, "the keyboard zooms the focused map (%.0f -> %.0f)" % (before, w))

    # English.
    driver.get(URL + "/workbench?lang=en")
    idle()
    check(driver.find_element(By.ID, "title").text == "Care zone workbench" and verdict().startswith("Meets"), "English: " + verdict())

    # A phone.
    driver.set_window_size(390, 844)
    driver.get(URL + "/workbench")
    idle()
    driver.save_screenshot(os.path.join(OUT, "workbench-390x844.png"))

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    check(not errors, "no console error: %s" % errors[:3])
finally:
    driver.quit()

print("%d passed, %d failed" % (0, len(failures)) if failures else "workbench: all checks passed")
sys.exit(1 if failures else 0)
