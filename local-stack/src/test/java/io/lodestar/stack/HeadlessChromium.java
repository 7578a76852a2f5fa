package io.lodestar.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium and ChromeDriver ({@code apt-get install chromium chromium-driver}),
 * headless at 1280×800 with a fresh profile, screenshots under
 * {@code target/screenshots/} and downloads into a fresh directory of their own.
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final Path profile;

	/** Where the browser saves the files it downloads, without asking. */
	final Path downloads;

	final ChromeDriver driver;

	final WebDriverWait wait;

	HeadlessChromium() throws IOException {
		this.profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
		this.downloads = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-downloads-");
		ChromeOptions options = new ChromeOptions();
		options.setExperimentalOption("prefs",
				Map.of("download.default_directory", this.downloads.toString(), "download.prompt_for_download", false));
		options.setBinary(System.getProperty("lodestar.chromium", "/usr/bin/chromium"));
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
				"--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(
					Path.of(System.getProperty("lodestar.chromedriver", "/usr/bin/chromedriver")).toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		viewport(1280, 800);
		this.wait = new WebDriverWait(this.driver, Duration.ofSeconds(30));
	}

	/**
	 * Sizes the window so that the page itself is {@code width}×{@code height}
	 * (--window-size counts the window's frame).
	 */
	void viewport(int width, int height) {
		Number frame = (Number) this.driver.executeScript("return window.outerHeight - window.innerHeight");
		this.driver.manage().window().setSize(new Dimension(width, height + frame.intValue()));
	}

	Path screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path file = SCREENSHOTS.resolve(name + ".png");
		Files.write(file, ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES));
		return file;
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
