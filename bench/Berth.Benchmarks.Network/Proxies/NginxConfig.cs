using System.Globalization;

namespace Berth.Benchmarks.Network.Proxies;

/// <summary>
/// nginx as a reverse proxy set up to be a fair anchor: upstream keepalive (a pool of connections to the backend,
/// HTTP/1.1 without <c>Connection: close</c>), no access log (the gateway writes none either), the request
/// headers the gateway sets too (the caller's host, <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c>), and no
/// limit on requests per connection on either side that a run could reach (nginx's default closes a connection
/// after 1,000 requests; Kestrel and YARP have no such limit). Every file nginx writes is in the workspace.
/// </summary>
internal static class NginxConfig
{
    public const string FileName = "nginx.conf";

    public const string PidFileName = "nginx.pid";

    public const string ErrorLogName = "error.log";

    /// <param name="directory">nginx's prefix in the workspace.</param>
    /// <param name="listenPort">The port nginx listens on, on 127.0.0.1 in the backend's namespace.</param>
    /// <param name="backendPort">The backend's port there.</param>
    /// <param name="workers">Worker processes: one per core the servers may use.</param>
    /// <param name="keepalive">Idle upstream connections kept per worker: as many as wrk opens.</param>
    public static string Text(string directory, int listenPort, int backendPort, int workers, int keepalive) => string.Create(CultureInfo.InvariantCulture, $$"""
        # nginx as the network benchmark's anchor; it runs in the backend container's network namespace.
        worker_processes {{workers}};
        pid {{directory}}/{{PidFileName}};
        error_log {{directory}}/{{ErrorLogName}} warn;
        daemon off;

        events {
            worker_connections 1024;
        }

        http {
            access_log off;
            keepalive_requests 1000000000;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;

            upstream backend {
                server 127.0.0.1:{{backendPort}};
                keepalive {{keepalive}};
                keepalive_requests 1000000000;
            }

            server {
                listen 127.0.0.1:{{listenPort}};
                location / {
                    proxy_pass http://backend;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $http_host;
                }
            }
        }
        """);
}
