// Program otelcol-openclaw is the OpenTelemetry Collector the openclaw-otel-sidecar test
// stack runs outside Docker: the same components otel-collector/config.yaml uses (plus
// filelog, debug and file for tests), and the fleet's central Collector of deploy/fleet/
// (bearertokenauth, prometheusremotewrite), all from one collector release (see go.mod).
// Built by scripts/build-stack.sh into .stack/bin/. Hand-written equivalent of what
// go.opentelemetry.io/collector/cmd/builder generates (components.go + main.go).
package main

import (
	"os"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/debugexporter"
	"go.opentelemetry.io/collector/exporter/otlpexporter"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	"go.opentelemetry.io/collector/processor/memorylimiterprocessor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"

	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter"
	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter"
	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusremotewriteexporter"
	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/bearertokenauthextension"
	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension"
	"github.com/open-telemetry/opentelemetry-collector-contrib/processor/transformprocessor"
	"github.com/open-telemetry/opentelemetry-collector-contrib/receiver/filelogreceiver"
)

// version is the collector release every component comes from (go.mod pins all of them to
// it); build-stack.sh passes the same value with -X main.version=....
var version = "0.159.0"

// stableVersion is the matching release of the collector's v1 modules (confmap providers).
var stableVersion = "1.65.0"

func main() {
	set := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{
			Command:     "otelcol-openclaw",
			Description: "OpenTelemetry Collector for the openclaw-otel-sidecar test stack",
			Version:     version,
		},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{
					envprovider.NewFactory(),
					fileprovider.NewFactory(),
					yamlprovider.NewFactory(),
				},
			},
		},
		ProviderModules: map[string]string{
			"env":  core + "confmap/provider/envprovider v" + stableVersion,
			"file": core + "confmap/provider/fileprovider v" + stableVersion,
			"yaml": core + "confmap/provider/yamlprovider v" + stableVersion,
		},
	}
	// cobra already prints the error.
	if err := otelcol.NewCommand(set).Execute(); err != nil {
		os.Exit(1)
	}
}

type aliasProvider interface{ DeprecatedAlias() component.Type }

const (
	core    = "go.opentelemetry.io/collector/"
	contrib = "github.com/open-telemetry/opentelemetry-collector-contrib/"
)

// comp pairs a factory with the module it comes from (all at version).
type comp[T component.Factory] struct {
	factory T
	module  string
}

// factories builds the type -> factory map and the type -> "module version" map the
// `components` subcommand prints. A deprecated alias (otlp for otlp_grpc, filelog for
// file_log) is accepted in configs through the factory and gets the same module.
func factories[T component.Factory](list ...comp[T]) (map[component.Type]T, map[component.Type]string, error) {
	fs := make([]T, 0, len(list))
	mods := map[component.Type]string{}
	for _, c := range list {
		fs = append(fs, c.factory)
		mods[c.factory.Type()] = c.module + " v" + version
		if ap, ok := any(c.factory).(aliasProvider); ok && ap.DeprecatedAlias().String() != "" {
			mods[ap.DeprecatedAlias()] = c.module + " v" + version
		}
	}
	m, err := otelcol.MakeFactoryMap[T](fs...)
	return m, mods, err
}

func components() (otelcol.Factories, error) {
	var err error
	f := otelcol.Factories{Telemetry: otelconftelemetry.NewFactory()}

	if f.Extensions, f.ExtensionModules, err = factories(
		comp[extension.Factory]{healthcheckextension.NewFactory(), contrib + "extension/healthcheckextension"},
		comp[extension.Factory]{bearertokenauthextension.NewFactory(), contrib + "extension/bearertokenauthextension"},
	); err != nil {
		return otelcol.Factories{}, err
	}
	if f.Receivers, f.ReceiverModules, err = factories(
		comp[receiver.Factory]{otlpreceiver.NewFactory(), core + "receiver/otlpreceiver"},
		comp[receiver.Factory]{filelogreceiver.NewFactory(), contrib + "receiver/filelogreceiver"}, // file_log, alias filelog
	); err != nil {
		return otelcol.Factories{}, err
	}
	if f.Processors, f.ProcessorModules, err = factories(
		comp[processor.Factory]{memorylimiterprocessor.NewFactory(), core + "processor/memorylimiterprocessor"},
		comp[processor.Factory]{batchprocessor.NewFactory(), core + "processor/batchprocessor"},
		comp[processor.Factory]{transformprocessor.NewFactory(), contrib + "processor/transformprocessor"},
	); err != nil {
		return otelcol.Factories{}, err
	}
	if f.Exporters, f.ExporterModules, err = factories(
		comp[exporter.Factory]{prometheusexporter.NewFactory(), contrib + "exporter/prometheusexporter"},
		comp[exporter.Factory]{prometheusremotewriteexporter.NewFactory(), contrib + "exporter/prometheusremotewriteexporter"},
		comp[exporter.Factory]{otlpexporter.NewFactory(), core + "exporter/otlpexporter"}, // otlp_grpc, alias otlp
		comp[exporter.Factory]{debugexporter.NewFactory(), core + "exporter/debugexporter"},
		comp[exporter.Factory]{fileexporter.NewFactory(), contrib + "exporter/fileexporter"},
	); err != nil {
		return otelcol.Factories{}, err
	}
	if f.Connectors, f.ConnectorModules, err = factories[connector.Factory](); err != nil {
		return otelcol.Factories{}, err
	}
	return f, nil
}
