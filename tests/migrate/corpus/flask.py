"""flask-cors configurations: each entry's ``CORS(app, ...)`` keyword
arguments, ``app.config`` keys and ``@cross_origin`` routes."""

from __future__ import annotations

from tests.migrate.corpus import Entry, github

ENTRIES = [
    Entry(
        "rmf-demos-slash-star-origins",
        github("open-rmf/rmf_demos", "rmf_demos_panel/rmf_demos_panel/simple_api_server.py"),
        {"origins": r"/*"},
        "same",
    ),
    Entry(
        "ta-literal-resource",
        github("chchlts/TA", "BE/app.py"),
        {"resources": {r"/predict": {"origins": "http://localhost:5173"}}},
        "same",
    ),
    Entry(
        "ncov-api-any-credentials",
        github("gucciwu/pcc-2019-nCoV", "api/__init__.py"),
        {"supports_credentials": True, "resources": {r"/api/*": {"origins": "*"}}},
        "todo",
    ),
    Entry(
        "cineflicks-api-one-origin",
        github("joelchege23/CineFlicks", "backend/runserver.py"),
        {"resources": {r"/api/*": {"origins": "http://127.0.0.1:5000"}}},
        "same",
    ),
    Entry(
        "codegpt-any-credentials",
        github("dhruvgcs24-programer/codeGPT", "voicecare/backend/app.py"),
        {
            "resources": {r"/*": {"origins": "*"}},
            "supports_credentials": True,
            "allow_headers": ["Content-Type"],
            "methods": ["GET", "POST", "OPTIONS"],
        },
        "todo",
    ),
    Entry(
        "writeright-api-localhost",
        github("PritK99/WriteRight", "server/app.py"),
        {"resources": {r"/api/*": {"origins": "http://localhost:3000"}}},
        "same",
    ),
    Entry(
        "webrtc-misspelled-credentials",
        github("siyeol/webRTC-with-ComputerVision", "flask/app.py"),
        {"support_credentials": True},
        "todo",
        cross_origin={"/": {"supports_credentials": True}},
    ),
    Entry(
        "covid19-misspelled-credentials",
        github("ashwin1/covid19", "__init__.py"),
        {"support_credentials": True},
        "same",
        config={"CORS_HEADERS": "application/json"},
    ),
    Entry(
        "recommendation-star-resource",
        github("purveshmakode24/recommendation-system", "app/__init__.py"),
        {"resources": {r"*": {"origins": "*"}}},
        "same",
    ),
    Entry(
        "hackmit-api-star",
        github("shaunika1/hackmit2025", "server/app.py"),
        {"resources": {r"/api/*": {"origins": "*"}}},
        "same",
    ),
    Entry(
        "hyperion-slash-star",
        github("odedshimon/hyperion", "backend/hyperion_backend/hyperion_backend/__main__.py"),
        {"resources": {r"/*": {"origins": "*"}}},
        "same",
    ),
    Entry(
        "weird-image-misplaced-r",
        github("MIAopenroad/WeirdImageGuesser", "backend/main.py"),
        {"resources": {"r/*": {"origins": "*"}}},
        "same",
    ),
    Entry(
        "glimmpse-api-star",
        github("SampleSizeShop/glimmpseV3back", "demoappback/__init__.py"),
        {"resources": {r"/api/*": {"origins": "*"}}},
        "same",
    ),
    Entry(
        "interpretability-cross-origin",
        github("jchen42703/dl-interpretability-suite", "app/server/server.py"),
        {},
        "same",
        config={"CORS_HEADERS": "Content-Type"},
        cross_origin={"/api/pred": {}},
    ),
    Entry(
        "mlab-bare",
        github("aeraso3/mlab", "app.py"),
        {},
        "same",
    ),
    Entry(
        "spidey-sense-bare",
        github("erikv05/HackMIT-SpideySense-Backend", "app.py"),
        {},
        "same",
    ),
    Entry(
        "case-management-docker-origin",
        github("NishanthSbz/CaseManagementSystem", "backend/app/cors_config.py"),
        {
            "resources": {
                r"/*": {
                    "origins": [
                        "http://localhost:5173",
                        "http://127.0.0.1:5173",
                        "http://localhost:3000",
                        "http://frontend:5173",
                    ],
                    "methods": ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"],
                    "allow_headers": ["Content-Type", "Authorization", "Access-Control-Allow-Credentials"],
                    "supports_credentials": True,
                    "expose_headers": ["Content-Range", "X-Total-Count"],
                    "max_age": 600,
                }
            }
        },
        "todo",
    ),
]
