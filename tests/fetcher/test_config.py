from pathlib import Path

import pytest

from newsdesk.fetcher.config import ConfigError, load_config

GOOD = """
[http]
user_agent = "newsdesk-test/1.0 (+mailto:desk@example.org)"
per_host_delay = 0.5

[[sources]]
name = "world"
kind = "rss"
url = "https://news.example.org/world.xml"
outlet = "Example News"
interval = 120
language = "en"
allowed_hosts = ["Example.org"]
max_items = 20

[[sources]]
name = "drop"
kind = "directory"
path = "/tmp/drop"
"""


def test_valid_toml_loads_with_defaults(tmp_path: Path):
    f = tmp_path / "sources.toml"
    f.write_text(GOOD)
    config = load_config(f)
    world, drop = config.sources
    assert world.allowed_hosts == ["example.org"]
    assert world.min_interval == 60 and world.max_interval == 3600
    assert drop.kind == "directory" and config.http.per_host_delay == 0.5


def test_errors_name_the_source_and_the_field(tmp_path: Path):
    f = tmp_path / "bad.toml"
    f.write_text('[[sources]]\nname = "a"\nkind = "rss"\n\n[[sources]]\nname = "b"\nkind = "podcast"\n'
                 'url = "https://e.org/x"\nintervl = 3\n')
    with pytest.raises(ConfigError) as info:
        load_config(f)
    message = str(info.value)
    assert "sources[0] ('a')" in message and "needs 'url'" in message
    assert "sources[1] ('b').kind" in message
    assert "sources[1] ('b').intervl" in message


def test_duplicate_names_and_syntax_errors_are_reported(tmp_path: Path):
    f = tmp_path / "dup.toml"
    f.write_text('[[sources]]\nname="a"\nkind="urls"\npath="x"\n[[sources]]\nname="a"\nkind="urls"\npath="y"\n')
    with pytest.raises(ConfigError, match="repeated: a"):
        load_config(f)
    f.write_text("[[sources]\nname=")
    with pytest.raises(ConfigError, match="syntax error"):
        load_config(f)


def test_yaml_is_accepted(tmp_path: Path):
    pytest.importorskip("yaml")
    f = tmp_path / "sources.yaml"
    f.write_text("sources:\n  - name: s\n    kind: sitemap\n    url: https://e.org/sitemap.xml\n")
    assert load_config(f).sources[0].kind == "sitemap"


DOC = Path(__file__).resolve().parents[2] / "docs" / "fetcher.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs/fetcher.md is absent")
def test_the_documented_example_config_is_valid(tmp_path: Path):
    text = DOC.read_text()
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    f = tmp_path / "example.toml"
    f.write_text(example)
    config = load_config(f)
    assert [s.kind for s in config.sources] == ["feed", "sitemap", "urls", "directory"]
