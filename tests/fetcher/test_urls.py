from newsdesk.fetcher.urls import article_id, canonical_url, host_allowed


def test_tracking_parameters_fragment_and_host_case_are_normalised():
    url = "HTTPS://News.Example.COM:443/world/story?id=7&utm_source=x&fbclid=abc&UTM_Medium=y#comments"
    assert canonical_url(url) == "https://news.example.com/world/story?id=7"


def test_two_spellings_of_one_article_share_an_id():
    a = canonical_url("http://example.org/a?utm_campaign=z&gclid=1")
    b = canonical_url("http://EXAMPLE.org:80/a#top")
    assert a == b == "http://example.org/a"
    assert article_id(a) == article_id(b)
    assert len(article_id(a)) == 20


def test_relative_links_resolve_and_non_http_is_refused():
    assert canonical_url("/b/c", base="https://example.org/x/y") == "https://example.org/b/c"
    assert canonical_url("mailto:desk@example.org") is None
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url("http://[::1]:8080/x") == "http://[::1]:8080/x"


def test_meaningful_query_parameters_keep_their_order():
    assert canonical_url("https://e.org/p?b=2&a=1&utm_term=q") == "https://e.org/p?b=2&a=1"


def test_allowed_hosts_cover_subdomains_only():
    assert host_allowed("https://www.example.org/a", ["example.org"])
    assert not host_allowed("https://badexample.org/a", ["example.org"])
    assert host_allowed("https://anything.net/", None)
